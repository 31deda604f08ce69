from fastjango.core.asgi import get_asgi_application

application = get_asgi_application()
