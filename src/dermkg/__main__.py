"""``python -m dermkg`` runs the command line."""

from dermkg.cli import main

main()
