"""WhatsApp through Twilio: the 24-hour customer-service window, the approved templates, the residents' texts.

The connector is ``channels/whatsapp.py``; the sender and transport are ``bot/outbound/whatsapp_sender.py`` and
``bot/outbound/whatsapp_transport.py``; the console's window view is ``bot/console/whatsapp.py``.
"""
