"""Storage: the one package that talks to the database.

`db` opens it (engine, schema versions), `models` maps its tables, `repo` holds the queries the
program needs, each taking a Session and leaving the commit to its caller.
"""
