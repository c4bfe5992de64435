"""`python -m report` runs the command-line interface."""

if __name__ == "__main__":  # not when a worker process of `report build -j` imports the main module
    from report.cli import main_entry

    main_entry()
