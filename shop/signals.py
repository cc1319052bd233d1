"""Signals the shop sends to the floors above it."""

from django.dispatch import Signal

# A user proved they receive mail at their account's address (`user`): sent inside the
# transaction that records it, so a receiver's writes commit with it or not at all.
email_confirmed = Signal()
