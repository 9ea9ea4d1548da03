import fs from 'fs';
import { PreTrainedTokenizer } from '@huggingface/transformers';
const tj = JSON.parse(fs.readFileSync('model/tokenizer.json','utf8'));
const cfg = JSON.parse(fs.readFileSync('model/tokenizer_config.json','utf8'));
const tok = new PreTrainedTokenizer(tj, cfg);
const enc = s => Array.from(tok.encode(s)).map(Number);
const tricky = fs.readFileSync(process.argv[2],'utf8').split('\n').filter(l=>l.length>0);
const cookies = fs.readFileSync('cookies.txt','utf8').split('\n').filter(l=>l.length>0);
const out = { generator: "@huggingface/transformers 4.3.1 (npm), PreTrainedTokenizer over a tokenizer.json built from the MiniLM vocab.txt: BertNormalizer(clean_text, handle_chinese_chars, lowercase, strip_accents follows lowercase), BertPreTokenizer, WordPiece(max_input_chars_per_word 100), [CLS] A [SEP]",
  tricky: tricky.map(s=>({text:s, ids:enc(s)})),
  cookies: cookies.map((s,i)=>({index:i, ids:enc(s)})) };
process.stdout.write(JSON.stringify(out));
