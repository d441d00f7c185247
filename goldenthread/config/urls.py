from django.urls import include, path

urlpatterns = [
    path("", include("goldenthread.web.urls")),
]
