from srs.cli import main

# Guarded: a worker process the program spawns imports this module without running the command.
if __name__ == "__main__":
    main()
