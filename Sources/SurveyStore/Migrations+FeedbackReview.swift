import Foundation
import GRDB
import SurveyCore

extension Migrations {
    static func registerFeedbackReview(in migrator: inout DatabaseMigrator) {
        // Search over comments. The trigram tokenizer indexes every run of three characters,
        // so it finds Chinese words without a dictionary; queries of one or two characters
        // are answered without the index (see `FeedbackQuery`). External content: the text
        // stays in `response`, the index holds only trigrams. New comments are indexed in
        // batches off the submission path (`indexNewComments()`): indexing each commit cost
        // commented submissions 41 % of their throughput. Searches read the index for the rows
        // it covers and the unindexed tail directly, so they never miss a comment. Comments are
        // never edited, but the update and delete triggers keep indexed rows right should that
        // ever change (a row the index does not cover yet must not be deleted from it).
        // A partial index serves "差评 only", the review's commonest filter: 差评 are few, so
        // walking the time index for them would read most of the table, and the index costs
        // an insert only for a 差评.
        migrator.registerMigration("v9-feedback-review") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE response_fts USING fts5(
                    comment, content = 'response', content_rowid = 'id', tokenize = 'trigram'
                );
                CREATE TABLE response_fts_progress (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    indexed_through INTEGER NOT NULL
                );
                CREATE TRIGGER response_fts_removed AFTER DELETE ON response
                    WHEN OLD.comment IS NOT NULL AND OLD.id <= (SELECT indexed_through FROM response_fts_progress)
                BEGIN
                    INSERT INTO response_fts (response_fts, rowid, comment) VALUES ('delete', OLD.id, OLD.comment);
                END;
                CREATE TRIGGER response_fts_changed AFTER UPDATE OF comment ON response
                    WHEN OLD.id <= (SELECT indexed_through FROM response_fts_progress)
                BEGIN
                    INSERT INTO response_fts (response_fts, rowid, comment)
                        SELECT 'delete', OLD.id, OLD.comment WHERE OLD.comment IS NOT NULL;
                    INSERT INTO response_fts (rowid, comment) SELECT NEW.id, NEW.comment WHERE NEW.comment IS NOT NULL;
                END;
                INSERT INTO response_fts (rowid, comment) SELECT id, comment FROM response WHERE comment IS NOT NULL;
                INSERT INTO response_fts_progress (singleton, indexed_through)
                    SELECT 1, coalesce(max(id), 0) FROM response;

                CREATE INDEX response_negative_by_time ON response(created_at) WHERE is_negative = 1;

                -- Space-separated department codes a key is limited to; NULL for every department.
                ALTER TABLE api_key ADD COLUMN departments TEXT;
                """)
        }
    }
}
