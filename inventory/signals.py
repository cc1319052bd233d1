"""What inventory tells the floors above it."""

from django.dispatch import Signal

# The stock of some variants (`variant_ids`) may have changed: staff or a sync set what is on
# hand, or holds were released (a cancelled or expired order). Sent once the change has
# committed (never for a rolled-back one), so receivers read the new stock; a receiver that
# needs to know whether a variant came back in stock reads its availability.
stock_changed = Signal()
