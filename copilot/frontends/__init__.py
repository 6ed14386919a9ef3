"""Front ends: the command line, the web UI (and later Slack). They render Answers."""
