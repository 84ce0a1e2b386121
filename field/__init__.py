"""Field work on a phone, also offline: the installable app (manifest, service worker), the data a
cadre takes to the village, and the sync that applies what they recorded there exactly once."""
