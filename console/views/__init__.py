"""The console's views, one module per feature: page, auth, send, health.

Each view parses its input, calls the plain modules (compose, transport, exchange, oauth,
contexts), and renders its own context: the whole page without JavaScript, for htmx the
fragment it changed (`template#partial`). What every part shows, who is signed in and
the environments, comes from `common.shared_context`, a context processor.
"""
