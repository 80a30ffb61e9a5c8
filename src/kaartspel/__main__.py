from kaartspel.cli import main

main()
