"""kg: build a knowledge graph from news articles and ask it questions.

>>> from kg import KnowledgeGraph
>>> graph = KnowledgeGraph(None)          # in memory; pass a folder for an on-disk store
>>> graph.stats()["articles"]
0
"""
from __future__ import annotations

from .api import KnowledgeGraph
from .errors import KGError

__all__ = ["KnowledgeGraph", "KGError", "__version__"]
__version__ = "0.1.0"
