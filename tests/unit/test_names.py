"""The closest names offered when a deck or node name matches nothing."""

from srs.core.names import closest, did_you_mean

LABELS = ["Scaling Laws", "Kaplan Scaling Laws", "Data Scaling", "Compute", "Chinchilla"]


def test_the_closest_names_come_first_ignoring_case():
    assert closest("scaling law", LABELS) == ["Scaling Laws", "Kaplan Scaling Laws", "Data Scaling"]
    assert closest("CHINCHILA", LABELS) == ["Chinchilla"]


def test_at_most_the_number_asked_and_nothing_far_off():
    assert closest("scaling law", LABELS, n=1) == ["Scaling Laws"]
    assert closest("Transformer", LABELS) == []
    assert closest("anything", []) == []


def test_names_differing_only_in_case_are_offered_once_as_first_written():
    assert closest("compte", ["Compute", "compute", "COMPUTE"]) == ["Compute"]


def test_the_hint_reads_as_a_sentence():
    assert did_you_mean("Chinchila", LABELS) == "; did you mean 'Chinchilla'?"
    assert did_you_mean("Scaling Law", ["Scaling Laws", "Scaling Lows"]) == (
        "; did you mean 'Scaling Laws' or 'Scaling Lows'?"
    )
    assert did_you_mean("scaling law", LABELS) == (
        "; did you mean 'Scaling Laws', 'Kaplan Scaling Laws' or 'Data Scaling'?"
    )
    assert did_you_mean("Transformer", LABELS) == ""


def test_a_name_with_quotes_is_quoted_as_python_would():
    assert did_you_mean("Its law", ["It's law"]) == '; did you mean "It\'s law"?'
