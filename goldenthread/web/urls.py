from django.urls import path

from goldenthread.web.views import auth, oversight, people

urlpatterns = [
    path("", people.home, name="home"),
    path("healthz", auth.healthz, name="healthz"),
    path("accounts/login/", auth.login, name="login"),
    path("accounts/logout/", auth.logout, name="logout"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("people/", people.search, name="search"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("people/<int:person_id>/viewers/", people.viewers, name="viewers"),
    path("records/<slug:record_type>/<int:record_id>/", people.record, name="record"),
    path("access/break-glass/", oversight.break_glass, name="break_glass"),
    path("access/break-glass/review/", oversight.break_glass_review, name="break_glass_review"),
    path("exports/pseudonymised-people.csv", oversight.pseudonymised_people,
         name="pseudonymised_people"),
]
