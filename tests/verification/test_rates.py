"""The rates CSV reader: mapping onto model states, and errors with file:line and a clear message."""

from __future__ import annotations

import pytest

from sim.errors import SimError
from sim.experiments.verification.rates import RatesFileError, read_rates
from sim.states import State


def write(tmp_path, text: str):
    path = tmp_path / "rates.csv"
    path.write_text(text)
    return path


def test_labels_map_onto_model_states_in_order_of_first_appearance(tmp_path):
    """User labels take the free model states in order; the initial label becomes assistance."""
    chain = read_rates(write(tmp_path, "from,to,rate\na,b,0.1\nb,c,0.2\n# a comment\n\nc,a,0.05\n"))
    assert chain.initial == "a"
    assert [chain.mapping[x] for x in "abc"] == [State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME]
    assert chain.rates[State.ASSISTANCE] == {State.MUNICIPAL_ACTIVITY: 0.1}


def test_model_state_names_map_to_themselves_and_initial_goes_first(tmp_path):
    """A label that names a model state is that state; columns in any order; --initial picks assistance."""
    path = write(tmp_path, "TO,From,Rate\nemployment,x,0.1\nx,employment,0.3\n")
    chain = read_rates(path, initial="x")
    assert chain.mapping == {"x": State.ASSISTANCE, "employment": State.EMPLOYMENT}
    assert chain.rates == {State.ASSISTANCE: {State.EMPLOYMENT: 0.1}, State.EMPLOYMENT: {State.ASSISTANCE: 0.3}}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a,b,0.1\nb,a,0.2\n", 1, "missing header: expected 'from,to,rate'"),
        ("from,to\na,b\n", 1, "missing column(s) rate"),
        ("from,to,rate,comment\na,b,0.1,x\n", 1, "unknown column 'comment'"),
        ("from,to,rate\na,b,0.1\nb,a,-0.2\n", 3, "rate -0.2 is negative"),
        ("from,to,rate\na,b,fast\n", 2, "rate 'fast' is not a number"),
        ("from,to,rate\na,b,nan\n", 2, "must be a finite number"),
        ("from,to,rate\na,b\n", 2, "expected 3 fields"),
        ("from,to,rate\na,a,0.1\n", 2, "to itself"),
        ("from,to,rate\na,b,0.1\na,b,0.2\n", 3, "repeats line 2"),
        ("from,to,rate\n", 1, "no transitions after the header"),
        ("\n\n", 1, "the file is empty"),
        ("from,to,rate\nassistance,employment,0.1\nemployment,studies,0.1\n", 3,
         "transition employment -> studies (mapped to employment -> studies) is not in the model"),
        ("from,to,rate\na,b,0.1\nb,c,0.1\nc,d,0.1\nd,e,0.1\n", 5,
         "transition d -> e (mapped to employment -> subsidised_employment) is not in the model"),
        ("from,to,rate\n" + "".join(f"s{i},s{i + 1},0.1\n" for i in range(8)), 8,
         "'s7' is state number 8: at most 7 states"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path, text, line, message):
    """Each problem is a SimError reading FILE:LINE: message."""
    path = write(tmp_path, text)
    with pytest.raises(RatesFileError) as caught:
        read_rates(path)
    error = caught.value
    assert isinstance(error, SimError)
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: ")
    assert message in str(error)


def test_a_disallowed_transition_says_what_is_allowed(tmp_path):
    """The message lists the destinations the model allows from the mapped origin."""
    path = write(tmp_path, "from,to,rate\nassistance,employment,0.1\nemployment,studies,0.1\n")
    with pytest.raises(RatesFileError, match="from employment the model allows assistance, other_exit"):
        read_rates(path)


def test_the_initial_state_must_be_in_the_file_and_become_assistance(tmp_path):
    """An unknown initial label, or one that names another model state, is refused."""
    path = write(tmp_path, "from,to,rate\na,employment,0.1\n")
    with pytest.raises(RatesFileError, match="initial state 'zz' is not in the file"):
        read_rates(path, initial="zz")
    with pytest.raises(RatesFileError, match="must map to assistance") as caught:
        read_rates(path, initial="employment")
    assert caught.value.line == 2


def test_a_missing_file_is_a_sim_error(tmp_path):
    """A file that cannot be read is reported with its name."""
    with pytest.raises(RatesFileError, match="cannot read the file"):
        read_rates(tmp_path / "nope.csv")
