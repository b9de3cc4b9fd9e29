"""Stage 6, events: partnerships and stated targets become Partnership and Goal nodes.

Docs are built by hand (tests/extract/docs.py); sentences are invented, across industries.
"""
from __future__ import annotations


from kg.extract.events import find_events


from .docs import make_doc

C, TECH, PLACE = "Company", "Technology", "Place"


def events(text, names, refs=None, **kw):
    return find_events(make_doc(text, names, refs, **kw))


def partnerships(text, names, refs=None, **kw):
    return [e for e in events(text, names, refs, **kw) if e.type == "Partnership"]


def goals(text, names, refs=None, **kw):
    return [e for e in events(text, names, refs, **kw) if e.type == "Goal"]


# --- Partnership ----------------------------------------------------------------------------

SEEDLIKE = (
    "Microsoft Corporation and Stellantis have entered into a five-year strategic partnership, as reported on April 16. "
    "The agreement focuses on the co-development of more than 100 initiatives across AI, cybersecurity, and engineering. "
    "Beyond that, the partnership supports Stellantis' broader push into software-defined vehicles."
)
SEEDLIKE_NAMES = {"Microsoft Corporation": ("Company", "Microsoft"), "Stellantis": C, "AI": (TECH, "artificial intelligence"),
                  "cybersecurity": TECH, "engineering": TECH, "software-defined vehicles": TECH}


def test_a_partnership_statement_becomes_a_partnership_event_with_its_participants():
    [p] = partnerships(SEEDLIKE, SEEDLIKE_NAMES)
    assert set(p.participants) == {"Microsoft", "Stellantis"}
    assert p.evidence.rule == "event.partnership"
    assert p.evidence.sentence.startswith("Microsoft Corporation and Stellantis have entered")


def test_later_sentences_about_the_agreement_add_fields_and_size():
    [p] = partnerships(SEEDLIKE, SEEDLIKE_NAMES)
    assert set(p.focuses) == {"artificial intelligence", "cybersecurity", "engineering"}
    assert p.initiative_count == 100
    assert p.duration_years == 5


def test_an_organisations_own_push_is_not_a_field_of_the_partnership():
    [p] = partnerships(SEEDLIKE, SEEDLIKE_NAMES)
    assert "software-defined vehicles" not in p.focuses


def test_the_announcement_date_without_a_year_is_a_month_day():
    [p] = partnerships(SEEDLIKE, SEEDLIKE_NAMES)
    assert p.announced_on == "--04-16"


def test_the_article_date_or_the_text_gives_the_year_of_the_announcement():
    [p] = partnerships(SEEDLIKE, SEEDLIKE_NAMES, date="2025-04-17")
    assert p.announced_on == "2025-04-16"
    [p] = partnerships("On 8 September 2025, Rio Tinto and Tarnvale Lithium announced a joint venture.",
                       {"Rio Tinto": C, "Tarnvale Lithium": C})
    assert p.announced_on == "2025-09-08"
    [p] = partnerships("BARCELONA, 2025-03-03 - Vodafone extended its partnership with Samsung.",
                       {"BARCELONA": PLACE, "Vodafone": C, "Samsung": C}, refs={"its": "Vodafone"})
    assert p.announced_on == "2025-03-03"


def test_a_date_in_the_neighbouring_sentence_counts():
    [p] = partnerships("The deal was announced on May 30. Equinor and Orsted signed a ten-year alliance.",
                       {"Equinor": C, "Orsted": C})
    assert p.announced_on == "--05-30" and p.duration_years == 10


def test_durations_written_in_words_digits_or_years():
    names = {"Acme": C, "Globex": C}
    for text, years in (("Acme signed a 5-year partnership with Globex.", 5),
                        ("Acme and Globex agreed a three-year collaboration.", 3),
                        ("Acme formed an alliance with Globex that will run for 10 years.", 10),
                        ("Acme signed a decade-long partnership with Globex.", 10)):
        [p] = partnerships(text, names)
        assert p.duration_years == years, text


def test_size_in_projects_and_fields_after_covering_and_focus_cues():
    [p] = partnerships("Siemens and Nvidia signed a partnership covering robotics and digital twins. "
                       "The partners will launch 30 joint projects with carmakers.",
                       {"Siemens": C, "Nvidia": C, "robotics": TECH, "digital twins": TECH})
    assert set(p.focuses) == {"robotics", "digital twins"}
    assert p.initiative_count == 30


def test_a_technology_named_before_the_partnership_noun_is_a_field():
    [p] = partnerships("Orange and Ericsson announced a 5G partnership.", {"Orange": C, "Ericsson": C, "5G": TECH})
    assert p.focuses == ("5G",)


def test_restating_the_same_partnership_adds_to_one_event():
    [p] = partnerships("Acme and Globex formed an alliance. Analysts said the Acme-Globex alliance will last.",
                       {"Acme": C, "Globex": C})
    assert set(p.participants) == {"Acme", "Globex"}


def test_two_different_partnerships_are_two_events():
    found = partnerships("Acme signed a partnership with Globex. Initech signed a partnership with Umbrella.",
                         {"Acme": C, "Globex": C, "Initech": C, "Umbrella": C})
    assert sorted(sorted(p.participants) for p in found) == [["Acme", "Globex"], ["Initech", "Umbrella"]]


def test_an_ended_or_hedged_partnership_is_no_event():
    names = {"Acme": C, "Globex": C}
    assert partnerships("Acme ended its partnership with Globex in 2023.", names, refs={"its": "Acme"}) == []
    assert partnerships("Acme is in talks to form a partnership with Globex.", names) == []


# --- Goal -----------------------------------------------------------------------------------


def test_reduce_something_by_a_percent_by_a_year_is_a_signed_goal():
    [g] = goals("Stellantis will reduce the automotive group's data center footprint by 60 percent by 2029.",
                {"Stellantis": C}, refs={"the automotive group": "Stellantis"})
    assert (g.agent, g.metric, g.change_percent, g.target_year) == ("Stellantis", "data center footprint", -60, 2029)
    assert g.evidence.rule.startswith("event.goal")


def test_a_percent_reduction_in_something():
    [g] = goals("Stellantis grew. The company targets a 60% reduction in its data centre footprint by 2029.",
                {"Stellantis": C}, refs={"The company": "Stellantis", "its": "Stellantis"})
    assert (g.agent, g.metric, g.change_percent, g.target_year) == ("Stellantis", "data centre footprint", -60, 2029)


def test_growth_is_positive_and_more_than_is_dropped():
    [g] = goals("Nestle aims to grow sales of its plant-based foods by 30% by 2028.", {"Nestle": C},
                refs={"its": "Nestle"})
    assert (g.metric, g.change_percent, g.target_year) == ("sales of its plant-based foods", 30, 2028)
    [g] = goals("Rio Tinto plans to cut emissions by more than 50 % by 2030.", {"Rio Tinto": C})
    assert (g.agent, g.metric, g.change_percent) == ("Rio Tinto", "emissions", -50)


def test_a_target_without_a_year_needs_a_target_word():
    [g] = goals("Walmart aims to cut delivery costs 20%.", {"Walmart": C})
    assert (g.metric, g.change_percent, g.target_year) == ("delivery costs", -20, None)


def test_halving_is_a_fifty_percent_cut():
    [g] = goals("Maersk pledged to halve its emissions by 2035.", {"Maersk": C}, refs={"its": "Maersk"})
    assert (g.metric, g.change_percent, g.target_year) == ("emissions", -50, 2035)


def test_past_results_hedges_and_levels_are_not_goals():
    names = {"Spotify": C}
    assert goals("Spotify's revenue grew 25% last year.", names) == []
    assert goals("Spotify could cut costs by 10% by 2027, analysts said.", names) == []
    assert goals("Spotify wants to raise the share of podcasts to 40% by 2026.", names) == []


def test_one_goal_per_agent_metric_and_year_keeping_the_most_complete():
    found = goals("DHL aims to cut the cost of unloading each container by 30% by 2027. "
                  "DHL said the cost of unloading each container should fall 30%.", {"DHL": C})
    [g] = found
    assert (g.metric, g.change_percent, g.target_year) == ("cost of unloading each container", -30, 2027)


def test_goal_evidence_points_into_the_text():
    text = "Markets rose. TotalEnergies aims to cut methane emissions by 80% by 2030."
    [g] = goals(text, {"TotalEnergies": C})
    assert text[g.evidence.start:g.evidence.end] == g.evidence.sentence
    assert 0 < g.evidence.confidence <= 1
