"""Above cart and checkout: carts left alone (expiry, reminders, recovery and unsubscribe
links) and the staff reports that read both (the funnel, reconciliation with payments)."""
