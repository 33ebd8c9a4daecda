"""Storage: the one package that talks to the database.

`db` opens it (engine, schema versions), `tables` writes down its schema, and one module per
subject (`decks`, `importing`, `queue`, `answers`, `tree`, `stats`, `exports`, ...) holds the
SQLAlchemy Core statements about it, each function taking a Connection and leaving the commit to
its caller.
"""
