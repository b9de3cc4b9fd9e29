"""Extraction: article text -> entities, relations and events, on a blank spaCy pipeline.

Stages, one module each, in the order they run:
  read (kg.read) -> names -> types -> resolve -> relations -> events; `pipeline` assembles them.

What the stages hand each other on the spaCy Doc (extension attributes registered in
`kg.extract.attrs`):
  doc.ents                     names found and typed; span.label_ is a vocabulary leaf type
                               (Company, Person, Platform, ...), span._.kg_entity the canonical label
  doc.spans["kg_refs"]         definite descriptions and pronouns ("the company", "its") that
                               point back to an entity: label_ = type, _.kg_entity = its label
  doc._.kg_entities            canonical label -> kg.model.Entity (type, aliases) for this article
  doc._.kg_article             the kg.model.Article being read
"""
