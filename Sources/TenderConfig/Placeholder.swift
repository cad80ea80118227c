import TenderCore
