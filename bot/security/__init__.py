"""Security helpers shared by every process: secret checks, log redaction, API tokens, bind addresses."""
