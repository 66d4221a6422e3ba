"""Search over every release on a static host: lunr indexes written by `build`, read in the
browser by lunr.js (`templates/site/assets/`). See `index.py` for the shards."""
