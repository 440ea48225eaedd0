"""Signals other apps listen to, so they never need funding to know about them.

award_activated(sender=Award, award=award): sent inside the transaction that makes an award active
(reporting creates its outcome framework and quarterly returns from it).
"""

from django.dispatch import Signal

award_activated = Signal()

# award_varied(sender=Award, award=award, old_end_date=date): sent inside the transaction that changes an active
# award's amount, end date or purpose by an accepted variation (reporting moves its return calendar to the new dates).
award_varied = Signal()
