"""dermkg: a knowledge graph of dermatology therapeutics evidence."""

from __future__ import annotations

__version__ = "0.1.0"

from dermkg.api import KnowledgeGraph

__all__ = ["KnowledgeGraph", "__version__"]
