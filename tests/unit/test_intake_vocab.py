"""The intake vocabulary (resources/intake/*.yaml) is team-editable data: every file says where it comes from, a
mistake names the file and the field, and the reason phrases agree with the knowledge base's."""

from __future__ import annotations

import phonenumbers
import pytest
import yaml
from pydantic import ValidationError

import project_paths
from sipsight.core.errors import InputError
from sipsight.core.intake._vocab import vocabulary
from sipsight.core.intake._vocab_files import LANGUAGES, CountriesFile, CuesFile, SymptomsFile

INTAKE = project_paths.RESOURCES / "intake"


def load(name: str) -> dict[str, object]:
    data = yaml.safe_load((INTAKE / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", ["authors.yaml", "countries.yaml", "cues.yaml", "symptoms.yaml"])
def test_each_vocabulary_file_says_where_it_comes_from(name: str) -> None:
    assert str(load(name).get("source", "")).strip()


def test_codes_file_cites_the_source_of_its_reason_phrases() -> None:
    text = (INTAKE / "codes.yaml").read_text(encoding="utf-8")
    assert "reason_phrases:" in text and "resources/knowledge/sip.yaml" in text and "RFC 3261" in text


def test_reason_phrases_agree_with_the_knowledge_base() -> None:
    # intake may not import the knowledge base (import-linter contract core-steps): the copy is checked here
    sip = yaml.safe_load((project_paths.RESOURCES / "knowledge" / "sip.yaml").read_text(encoding="utf-8"))
    names = {int(e["code"]): e["name"] for e in sip["vocabularies"]["sip"] if str(e["code"]).isdigit()}
    phrases = load("codes.yaml")["reason_phrases"]
    assert isinstance(phrases, dict)
    assert set(phrases) == set(names)
    for code, written in phrases.items():
        assert written[0] == names[code], code  # the first phrase is the knowledge base's own


def test_every_language_has_every_kind_of_cue() -> None:
    cues = CuesFile.model_validate(load("cues.yaml"))
    assert set(cues.languages) == set(LANGUAGES)
    for lang, spec in cues.languages.items():
        for role in ("ruled_out", "support", "callback", "caller_id", "own_number", "destination"):
            assert getattr(spec, role).before, (lang, role)
        assert spec.questions.destination and spec.questions.caller_id, lang
        assert spec.negations and spec.prior_contact and spec.answers_no and spec.answers_yes, lang


def test_symptoms_are_written_in_every_language() -> None:
    symptoms = SymptomsFile.model_validate(load("symptoms.yaml"))
    for symptom in symptoms.symptoms:
        if symptom.id in ("rings_briefly_then_drops",):  # written as "rings twice ... then drops" in each language
            assert symptom.then is not None and len(symptom.then.phrases) > 10
            continue
        for lang in ("es", "fr", "de", "pt"):
            assert getattr(symptom, lang), (symptom.id, lang)
    assert set(symptoms.answered) == set(LANGUAGES)


def test_country_words_name_real_regions() -> None:
    countries = CountriesFile.model_validate(load("countries.yaml"))
    for region in countries.countries:
        assert phonenumbers.country_code_for_region(region) > 0, region


def test_a_phrase_intake_cannot_match_is_refused() -> None:
    with pytest.raises(ValidationError, match="outside Latin-1"):
        SymptomsFile.model_validate({"version": 2, "symptoms": [
            {"id": "error_icon", "label": "Error icon", "phrases": ["⚠"]}]})
    with pytest.raises(ValidationError, match="7 letters or more"):
        SymptomsFile.model_validate({"version": 2, "fuzzy": ["busy"], "symptoms": []})
    with pytest.raises(ValidationError, match="unknown language"):
        CuesFile.model_validate({"version": 2, "languages": {"it": {}, "en": {"prior_contact": ["spoke with"]}}})
    with pytest.raises(ValidationError, match="not a two-letter region"):
        CountriesFile.model_validate({"version": 1, "source": "x", "countries": {"Germany": ["germany"]}})


def test_a_yaml_syntax_error_names_the_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import sipsight.core.intake._vocab as intake_vocab
    import sipsight.core.yaml_models as yaml_models

    def broken(*parts: str) -> object:
        # an unquoted "#" starts a comment: the flow list never closes
        return yaml.safe_load("languages:\n  en:\n    caller_id: {before: [my dialer #, x]}\n")

    monkeypatch.setattr(yaml_models, "load_yaml", broken)
    with pytest.raises(InputError, match=r"resources/intake/symptoms.yaml is not valid YAML \(line \d+\)"):
        intake_vocab.vocabulary.__wrapped__()


def test_the_packaged_vocabulary_compiles() -> None:
    vocab = vocabulary()
    assert len(vocab.symptoms) == 19
    assert vocab.cues["before"].find("you can call me back at") [0][0].role == "callback"
    assert vocab.cues["before"].find("i'm calling from")[0][0].role == "caller_id"
    assert vocab.cues["after"].find(" (seller)")[0][0].role == "destination"
