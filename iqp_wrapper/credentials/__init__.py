"""Credentials kept safely: the API key in the OS credential store, account files checked.

``account_file`` reads and writes account files defensively; ``keyring_store`` keeps keys
in the OS credential store through the optional ``keyring`` library; ``store`` keeps the
other settings of each ``iqp login`` account in our own file; ``source`` finds the account
``connect()`` uses; ``qiskit_file`` reads qiskit-ibm-runtime's saved accounts and
writes an entry there on request.
"""
