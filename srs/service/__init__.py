"""The service layer: what the command line and the terminal app ask of the program.

Each module is one subject (decks and maps, a node's detail, study sessions, statistics,
exports). A call opens its own transaction through `srs.storage`, applies the core's rules, and
returns plain values; nothing here prints, draws or imports a user interface.
"""
