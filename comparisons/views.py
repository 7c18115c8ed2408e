from django.shortcuts import render

from evaluations.models import Evaluation


def home(request):
    evaluations = Evaluation.objects.published().with_related().with_total()
    return render(request, "comparisons/home.html", {"evaluations": evaluations})
