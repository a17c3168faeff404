"""POST /@payment-orders: one RF payment code for several open debts."""
