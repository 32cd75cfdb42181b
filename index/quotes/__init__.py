"""Who said what: quotations found by rules (find), the speakers resolved and the experts registry built
(experts), and the contract the answers read (attribution: speaker_of, person_in, lookup)."""
