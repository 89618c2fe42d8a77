"""Participant tokens are signed with a private key and checked with the public key alone."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from koos_kit.participant_tokens import (
    InvalidParticipantToken,
    ParticipantTokenSettings,
    ParticipantTokenSigner,
    ParticipantTokenVerifier,
    new_key_pair,
    private_key,
    public_key,
)

PRIVATE, PUBLIC = new_key_pair()
SIGNER = ParticipantTokenSigner(private_key(PRIVATE), "koos", 3600)
VERIFIER = ParticipantTokenVerifier(public_key(PUBLIC), "koos")


def test_a_token_speaks_for_one_person_and_one_registration() -> None:
    token = SIGNER.mint("oslo-kommune", "person-1", "registration-1")

    claims = VERIFIER.read(token)

    assert (claims.organisation_id, claims.person_id, claims.registration_id) == (
        "oslo-kommune", "person-1", "registration-1")
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_a_token_signed_with_another_key_is_refused() -> None:
    other, _ = new_key_pair()
    forged = ParticipantTokenSigner(private_key(other), "koos", 3600).mint("oslo-kommune", "person-1", "r-1")

    with pytest.raises(InvalidParticipantToken, match="not valid"):
        VERIFIER.read(forged)


def test_a_token_made_with_the_old_shared_secret_is_refused() -> None:
    now = int(time.time())
    old = jwt.encode({"sub": "person-1", "org": "oslo-kommune", "reg": "r-1", "role": "participant", "iss": "koos",
                      "iat": now, "exp": now + 3600},
                     "koos-development-participant-secret-not-for-production", algorithm="HS256")

    with pytest.raises(InvalidParticipantToken):
        VERIFIER.read(old)


def test_a_token_without_its_registration_or_expired_is_refused() -> None:
    now = int(time.time())
    without = jwt.encode({"sub": "p", "org": "o", "role": "participant", "iss": "koos", "iat": now, "exp": now + 60},
                         private_key(PRIVATE), algorithm="EdDSA")

    with pytest.raises(InvalidParticipantToken, match="not valid"):
        VERIFIER.read(without)
    with pytest.raises(InvalidParticipantToken, match="expired"):
        VERIFIER.read(SIGNER.mint("o", "p", "r", now=time.time() - 7200))


def test_both_services_read_issuer_keys_and_lifetime_from_one_settings_class() -> None:
    settings = ParticipantTokenSettings(participant_token_private_key=PRIVATE, participant_token_public_key=PUBLIC,
                                        participant_token_issuer="koos-test", participant_token_days=2)

    token = settings.participant_token_signer().mint("o", "p", "r")

    claims = jwt.decode(token, public_key(PUBLIC), algorithms=["EdDSA"], issuer="koos-test")
    assert claims["exp"] - claims["iat"] == 2 * 86_400
    assert settings.participant_token_verifier().read(token).registration_id == "r"


def test_keys_may_be_given_as_pem_too() -> None:
    key = private_key(PRIVATE)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    assert ParticipantTokenVerifier(public_key(pem.decode()), "koos").read(SIGNER.mint("o", "p", "r")).person_id == "p"
