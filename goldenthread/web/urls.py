from django.urls import path

from goldenthread.web.views import auth, oversight, people, recording, work
from goldenthread.web.views import chronology as chronology_views

urlpatterns = [
    path("", work.home, name="home"),  # My work
    path("healthz", auth.healthz, name="healthz"),
    path("accounts/login/", auth.login, name="login"),
    path("accounts/logout/", auth.logout, name="logout"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("people/", people.search, name="search"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("people/<int:person_id>/viewers/", people.viewers, name="viewers"),
    # Case work, read side (W1): the child's records and chronology.
    path("people/<int:person_id>/records/", people.person_records, name="person_records"),
    path("people/<int:person_id>/chronology/", chronology_views.chronology_page,
         name="chronology"),
    path("people/<int:person_id>/chronology/add/", chronology_views.chronology_add,
         name="chronology_add"),
    path("people/<int:person_id>/chronology/mark/", chronology_views.chronology_mark,
         name="chronology_mark"),
    path("records/<slug:record_type>/<int:record_id>/", people.record, name="record"),
    path("access/break-glass/", oversight.break_glass, name="break_glass"),
    path("access/break-glass/review/", oversight.break_glass_review, name="break_glass_review"),
    path("exports/pseudonymised-people.csv", oversight.pseudonymised_people,
         name="pseudonymised_people"),
    # recording (W2): the steps of a child's journey, changes to records, a new child's contact.
    path("people/<int:person_id>/record/", recording.record_menu, name="record_menu"),
    path("people/<int:person_id>/record/<slug:step>/", recording.record_step,
         name="record_step"),
    path("records/<slug:record_type>/<int:record_id>/edit/", recording.edit_record,
         name="edit_record"),
    path("contacts/new/", recording.new_contact, name="new_contact"),
]
