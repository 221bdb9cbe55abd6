import SurveyApp

Pingjia.main()
