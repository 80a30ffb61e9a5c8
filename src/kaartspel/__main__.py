from kaartspel import run

run()
