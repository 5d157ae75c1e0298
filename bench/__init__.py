"""The benchmark (``make bench``) and the load run (``make load``)."""
