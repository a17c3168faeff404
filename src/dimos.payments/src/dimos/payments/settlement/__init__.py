"""After a payment is applied: the receipt (numbered, sealed, kept), the email, the download."""
