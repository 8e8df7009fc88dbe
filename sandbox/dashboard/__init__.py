"""The sandbox's developer dashboard, as on OrderCloud's portal: developer accounts (with
an emailed verification code), their seller organizations and their applications.

People use its pages (`views`); programs, the console's guided tour among them, use the
same operations as JSON (`api`). Both call `accounts` and `organizations`.
"""
