# Create your models here, the Django way:
#
# from fastjango.db import models
#
#
# class Question(models.Model):
#     question_text = models.CharField(max_length=200)
#     pub_date = models.DateTimeField("date published")
