"""Assessment notes (βεβαιωτικά σημειώματα): debts created by revenue staff for a citizen."""
