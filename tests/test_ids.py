from listenlens.ids import normalise_label, speaker_id, stable_hash, unit_id


def test_stable_hash_is_unambiguous_and_stable():
    assert stable_hash("a", "bc") != stable_hash("ab", "c")
    assert stable_hash("x", 1, length=8) == stable_hash("x", 1, length=8)
    assert len(stable_hash("x", length=8)) == 8
    # a fixed value: ids must be the same on every machine and run
    assert stable_hash("listenlens") == "30a6cb1f533d"


def test_unit_id_depends_on_content_not_position():
    a = unit_id("e1", "e1.txt", "We need buses.", 0)
    assert a == unit_id("e1", "e1.txt", "We  need\nbuses.", 0)  # whitespace-insensitive
    assert a != unit_id("e1", "e1.txt", "We need buses.", 1)  # repeated text stays distinct
    assert a != unit_id("e2", "e1.txt", "We need buses.", 0)
    assert a.startswith("u-") and len(a) == 18


def test_speaker_ids_are_per_event_and_label_insensitive():
    assert speaker_id("e1", " Amina  K ") == speaker_id("e1", "amina k")
    assert speaker_id("e1", "Amina") != speaker_id("e2", "Amina")
    assert speaker_id("e1", "") == ""
    assert normalise_label("  Dr.  Ahmed ") == "dr. ahmed"
