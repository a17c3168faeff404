"""Traffic fines (ΚΟΚ) paid online by ticket number and plate."""
