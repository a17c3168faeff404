Foundation: `make start` / `make test`, Greek site policy (language, time zone, departments, roles),
Greek-aware full-text search (accents, case, polytonic, look-alike letters, stemming), demo content.
