"""WhatsApp through Twilio: the 24-hour customer-service window, the approved templates, the residents' texts.

The connector is ``channels/whatsapp.py``; the transport is ``bot/outbound/whatsapp_sender.py``.
"""
