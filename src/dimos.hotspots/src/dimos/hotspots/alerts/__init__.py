"""Emergency alerts: their workflow, CAP 1.2 messages and feeds, and which alerts are in force."""
