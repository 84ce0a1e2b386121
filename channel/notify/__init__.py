"""Notices to people by Zalo, SMS or e-mail, and the messages they send back.

- ``channel.notify.service``: ``notice_send`` (the one way to send a notice) and the sender
  registered for the apps below (core.notices);
- ``channel.notify.engine``: the delivery of one notice, channel after channel, with the quiet
  hours, the daily quotas and the delivery log;
- ``channel.notify.zalo``, ``channel.notify.sms``: the providers' documented HTTP APIs;
- ``channel.notify.inbound``: what the OA's webhook receives, made into concerns and answers.
"""
