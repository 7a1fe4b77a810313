from django.urls import path

from . import add_stance, candidates, review, sources

app_name = "review"
urlpatterns = [
    path("", review.queue, name="queue"),
    path("bulk/", review.review_bulk, name="bulk"),
    path("stances/<int:pk>/", review.review_action, name="action"),
    path("stances/<int:pk>/edit/", review.review_edit, name="edit"),
    path("stances/<int:pk>/history/", review.stance_history, name="history"),
    path("stances/<int:pk>/history/<int:history_id>/revert/", review.stance_revert, name="revert"),
    path("candidates/", candidates.candidates_queue, name="candidates"),
    path("candidates/<int:pk>/", candidates.candidate_action, name="candidate"),
    path("candidates/<int:pk>/form/", add_stance.candidate_form, name="candidate_form"),
    path("articles/<int:pk>/add/", add_stance.stance_add, name="stance_add"),
    path("sources/", sources.sources_queue, name="sources"),
    path("sources/<int:pk>/", sources.source_action, name="source"),
    path("disputes/", review.disputes, name="disputes"),
    path("disputes/<int:pk>/resolve/", review.dispute_resolve, name="resolve"),
]
