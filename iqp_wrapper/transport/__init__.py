"""How a request reaches the service and how its answer comes back.

``headers`` (the headers the API requires), ``network`` (TLS, proxies, the API-header
fence), ``retry`` (the one place a retry is decided), ``_deadline`` (the whole-call
deadline), ``_bodies`` (capped response bodies), ``_lean_client`` (the httpx clients),
``aiohttp_transport`` and ``async_backend`` (the optional aiohttp transport and the choice
of it), ``api_versions`` (noticing a deprecated API version). Nothing here knows about
IAM, settings or accounts: those layers build on this one.
"""
