"""
Django settings for mysite project.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-default")

DEBUG = os.environ.get("DEBUG", "False") == "True"

ALLOWED_HOSTS = ['*']

CSRF_TRUSTED_ORIGINS = ['https://*.cloudshell.dev',
                        'https://*.github.dev',
                        'https://localhost:8000']

INSTALLED_APPS = [
    'polls.apps.PollsConfig',
    'django.contrib.admin',
    'django.contrib.auth',
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql_psycopg2',
        'NAME': os.environ['POSTGRES_DB'],
        'USER': os.environ['POSTGRES_USER'],
        'PASSWORD': os.environ['POSTGRES_PASSWORD'],
        'HOST': os.environ['POSTGRES_HOSTNAME'],
        'PORT': 5432,
    }
}

STUDENT_NAME = os.environ.get('STUDENT_NAME', 'Unknown')
SITE_NAME = os.environ.get('SITE_NAME', 'Unknown')
STATIC_URL = 'static/'
