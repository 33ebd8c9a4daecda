"""The pure core: scheduling, graph helpers, card building and queue ordering.

Nothing in this package performs I/O, reads the clock or imports the storage or UI layers;
`tests/test_layering.py` keeps it that way.
"""
