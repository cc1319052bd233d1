"""The catalog's faces, on the top floor: the shopper pages (home, product list, product page),
the catalog API and the staff endpoints outside systems sync products with.

They sit above every other app because what they show gathers them all: catalog data, stock
from inventory, and whatever later floors add to a product page.
"""
