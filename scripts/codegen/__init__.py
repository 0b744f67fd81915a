"""The code-generation pipeline behind ``scripts/generate.py``.

Data flows one way: load a document (``spec_io``), repair it by rule and apply the
declared overlay (``normalize``, ``overlay``), run the pinned generator and account for
what it produced (``build``), then write or compare the package (``tree``).
"""
