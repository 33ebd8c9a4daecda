"""Writing a deck in the formats other programs read: Anki packages (`anki`), GEXF for Gephi
(`gexf`), and where an export may go and how it is written whole (`files`).

The writers take plain values (the core's graph and concepts, card kinds and schedules) and
never read the database: `srs.storage.exports` reads what they need, and `srs.service.export`
joins the two.
"""
