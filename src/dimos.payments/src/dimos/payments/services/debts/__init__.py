"""GET /@debts, GET /@debts/{id} and POST /@debts-import: a citizen's own debts; staff's import."""
